"""marshmallow schemas: the single definition of every shape that crosses the wire."""
