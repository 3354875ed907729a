"""Web Push: the server's VAPID public key, and each device's push subscription."""

from flask import current_app, g
from flask_restx import Namespace, Resource

from schemas.push import (PushSubscriptionSchema, StoredSubscriptionSchema, VapidPublicKeySchema,
                          push_subscription_schema, stored_subscription_schema,
                          stored_subscriptions_schema, vapid_public_key_schema)
from server import delivery, push
from server.api.common import error_model, load, login_required, register_schema
from server.models.reminders import PushSubscription

api = Namespace("push", description="Web Push subscriptions for hydration reminders")
error = error_model(api)
key_out = register_schema(api, VapidPublicKeySchema, "VapidPublicKey")
subscription_in = register_schema(api, PushSubscriptionSchema, "PushSubscription")
subscription_out = register_schema(api, StoredSubscriptionSchema, "StoredSubscription")


def vapid():
    """Return the app's VAPID keys, read (or made) once per app."""
    if "unknot_vapid" not in current_app.extensions:
        current_app.extensions["unknot_vapid"] = delivery.vapid_for(current_app.config)
    return current_app.extensions["unknot_vapid"]


@api.route("/vapid-public-key")
class VapidPublicKey(Resource):
    @api.response(200, "The applicationServerKey for pushManager.subscribe()", key_out)
    def get(self):
        """Return the server's VAPID public key (base64url)."""
        return vapid_public_key_schema.dump({"public_key": push.public_key_b64url(vapid())})


@api.route("/subscriptions")
class SubscriptionList(Resource):
    @api.doc(security="bearer")
    @api.response(200, "This person's subscribed devices", [subscription_out])
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """List the devices that receive this person's reminders."""
        return stored_subscriptions_schema.dump(PushSubscription.of(g.user))

    @api.doc(security="bearer")
    @api.expect(subscription_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "Subscribed", subscription_out)
    @api.response(200, "Already subscribed; keys refreshed", subscription_out)
    @api.response(401, "Not signed in", error)
    @api.response(422, "Not a usable subscription, or an endpoint this server will not call", error)
    @login_required
    def post(self):
        """Store this device's push subscription (the browser's PushSubscription JSON)."""
        body = load(push_subscription_schema)
        row, created = delivery.subscribe(g.user, body, g.token, current_app.config["PUSH_ALLOW_LOOPBACK"])
        return stored_subscription_schema.dump(row), 201 if created else 200


@api.route("/subscriptions/<int:subscription_id>")
@api.param("subscription_id", "The id POST answered with")
class Subscription(Resource):
    @api.doc(security="bearer")
    @api.response(204, "Unsubscribed")
    @api.response(401, "Not signed in", error)
    @api.response(404, "No such subscription on this account", error)
    @login_required
    def delete(self, subscription_id):
        """Stop sending reminders to one device."""
        delivery.unsubscribe(g.user, subscription_id)
        return "", 204
