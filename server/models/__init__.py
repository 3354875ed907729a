"""Every model, in creation order."""

from server.models.accounts import Token, User
from server.models.care import Assignment, AuditLog, CareLink, Comment, Invite
from server.models.content import Exercise, Programme, Routine
from server.models.diary import Entry, Setting
from server.models.reminders import PushSubscription, ReminderDelivery
from server.models.sync import Client, Counter, ServerState

MODELS = (User, Token, Counter, Client, ServerState, Entry, Setting, Exercise, Routine, Programme)
MODELS += (Invite, CareLink, AuditLog, Comment, Assignment)
MODELS += (ReminderDelivery, PushSubscription)
