"""Errors the domain raises; the app renders each in the one error envelope."""


class DomainError(Exception):
    """A refusal with an HTTP status, a message for the person, and optional extra fields."""

    status = 400

    def __init__(self, message, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413
