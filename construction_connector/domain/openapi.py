"""The OpenAPI 3.1 document of the integration API, built from the payload models.

The message payload schemas come from the same pydantic models that validate
the payloads (``MessageTypeRegistry.json_schemas()``), so the document cannot
drift from the code. Other modules add their paths through ``extra``.
"""

from __future__ import annotations

import copy
from typing import Any

API = "/construction/api/v1"
STATES = ["pending", "processing", "done", "failed", "dead", "rejected"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _rewrite_refs(node: Any, prefix: str = "") -> Any:
    """Point pydantic's ``#/$defs/X`` references at ``#/components/schemas/<prefix>X``."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", f"#/components/schemas/{prefix}")
                if key == "$ref" and isinstance(value, str)
                else _rewrite_refs(value, prefix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def payload_component_name(message_type: str) -> str:
    """``master.vendor`` -> ``Payload.master.vendor``."""
    return f"Payload.{message_type}"


def message_component_name(message_type: str) -> str:
    """``master.vendor`` -> ``Message.master.vendor``: the envelope around that payload."""
    return f"Message.{message_type}"


def _envelope_schema(type_schema: dict[str, Any], payload_schema: dict[str, Any]) -> dict[str, Any]:
    """One message of a batch (the contract's envelope) around ``payload_schema``."""
    return {
        "type": "object",
        "required": ["source", "type", "idempotency_key", "payload"],
        "properties": {
            "source": {
                "type": "string",
                "maxLength": 255,
                "description": "Code of a registered source system.",
            },
            "type": type_schema,
            "idempotency_key": {"type": "string", "minLength": 1, "maxLength": 255},
            "occurred_at": {"type": "string", "format": "date-time"},
            "correlation_id": {"type": "string", "maxLength": 255},
            "company": {
                "type": ["string", "integer"],
                "description": "Company name or id; default: the user's company.",
            },
            "payload": payload_schema,
        },
    }


ERROR_TEXTS = {
    400: "The body is not JSON, or lacks a required part.",
    401: "No API key, a wrong key, or an inactive user.",
    403: "The user lacks the Integration group, or may not use the company.",
    404: "Not found.",
    413: "Too many items, or a body over 10 MiB.",
    422: "A field is invalid; the error names it.",
}
SECURITY = [{"bearerAuth": []}]


def _error_responses(*statuses: int) -> dict[str, Any]:
    """Responses of whole-request errors: ``{"errors": [{"code", "field", "message"}]}``."""
    return {
        str(status): {
            "description": ERROR_TEXTS[status] + " Body: the error shape, ErrorResponse.",
            "content": {"application/json": {"schema": _ref("ErrorResponse")}},
        }
        for status in statuses
    }


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ok(description: str, schema: dict[str, Any], status: int = 200) -> dict[str, Any]:
    return {
        str(status): {
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def _base_components(message_types: list[str]) -> dict[str, Any]:
    error = {
        "type": "object",
        "required": ["code", "field", "message"],
        "properties": {
            "code": {"type": "string"},
            "field": {"type": ["string", "null"]},
            "message": {"type": "string"},
        },
    }
    message_view = {
        "type": "object",
        "required": [
            "id",
            "source",
            "type",
            "idempotency_key",
            "state",
            "attempts",
            "errors",
            "result",
            "correlation_id",
            "occurred_at",
            "received_at",
            "note",
        ],
        "properties": {
            "id": {"type": "integer"},
            "source": {"type": "string"},
            "type": {"type": "string"},
            "idempotency_key": {"type": "string"},
            "state": {"type": "string", "enum": STATES},
            "attempts": {"type": "integer"},
            "errors": {"type": "array", "items": _ref("Error")},
            "result": {
                "type": "object",
                "required": ["model", "ids"],
                "properties": {
                    "model": {"type": ["string", "null"]},
                    "ids": {"type": "array", "items": {"type": "integer"}},
                },
            },
            "correlation_id": {"type": ["string", "null"]},
            "occurred_at": {"type": ["string", "null"], "format": "date-time"},
            "received_at": {"type": ["string", "null"], "format": "date-time"},
            "note": {
                "type": ["string", "null"],
                "description": "Why a message was done without being applied (stale, cancelled).",
            },
        },
    }
    envelope = _envelope_schema({"type": "string", "enum": message_types}, {"type": "object"})
    envelope["description"] = (
        "One inbound message. Its payload is the Payload.<type> schema of its type "
        "(see the Message.<type> schemas)."
    )
    result = {
        "type": "object",
        "required": ["idempotency_key", "id", "state", "duplicate", "errors"],
        "properties": {
            "idempotency_key": {
                "type": ["string", "null"],
                "description": "As sent; null when the message had no key that is a string.",
            },
            "id": {"type": "integer"},
            "state": {"type": "string", "enum": STATES},
            "duplicate": {"type": "boolean"},
            "errors": {"type": "array", "items": _ref("Error")},
        },
    }
    counts = {state: {"type": "integer"} for state in ["unknown", *STATES]}
    return {
        "Error": error,
        "ErrorResponse": {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array", "items": _ref("Error")}},
        },
        "Message": {
            "oneOf": [_ref(message_component_name(name)) for name in message_types],
            "discriminator": {
                "propertyName": "type",
                "mapping": {
                    name: _ref(message_component_name(name))["$ref"] for name in message_types
                },
            },
        }
        if message_types
        else envelope,
        "MessageEnvelope": envelope,
        "SubmitRequest": {
            "type": "object",
            "required": ["messages"],
            "properties": {
                "messages": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1000,
                    "items": _ref("Message"),
                }
            },
        },
        "SubmitResult": result,
        "SubmitResponse": {
            "type": "object",
            "required": ["results"],
            "properties": {"results": {"type": "array", "items": _ref("SubmitResult")}},
        },
        "MessageView": message_view,
        "MessagePage": {
            "type": "object",
            "required": ["messages", "next_cursor"],
            "properties": {
                "messages": {"type": "array", "items": _ref("MessageView")},
                "next_cursor": {"type": ["string", "null"]},
            },
        },
        "Health": {
            "type": "object",
            "required": [
                "queue",
                "oldest_pending_age_seconds",
                "done_last_hour",
                "dead_last_hour",
                "outbound",
                "checked_at",
            ],
            "properties": {
                "queue": {
                    "type": "object",
                    "required": STATES,
                    "properties": {state: {"type": "integer"} for state in STATES},
                },
                "oldest_pending_age_seconds": {"type": "integer"},
                "done_last_hour": {"type": "integer"},
                "dead_last_hour": {"type": "integer"},
                "outbound": {"type": "object", "additionalProperties": {"type": "integer"}},
                "checked_at": {"type": "string", "format": "date-time"},
            },
        },
        "ReconcileRequest": {
            "type": "object",
            "required": ["source", "idempotency_keys"],
            "properties": {
                "source": {"type": "string"},
                "idempotency_keys": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10000,
                    "items": {"type": "string"},
                },
            },
        },
        "ReconcileResponse": {
            "type": "object",
            "required": ["source", "counts", "unknown", "not_done"],
            "properties": {
                "source": {"type": "string"},
                "counts": {"type": "object", "required": list(counts), "properties": counts},
                "unknown": {"type": "array", "items": {"type": "string"}},
                "not_done": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["idempotency_key", "id", "state", "errors"],
                        "properties": {
                            "idempotency_key": {"type": "string"},
                            "id": {"type": "integer"},
                            "state": {"type": "string", "enum": STATES},
                            "errors": {"type": "array", "items": _ref("Error")},
                        },
                    },
                },
            },
        },
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _base_paths() -> dict[str, Any]:
    """The operations of the contract. Each names its security scheme and
    every status it answers; every error answer has the ErrorResponse shape."""
    return {
        f"{API}/messages": {
            "post": {
                "operationId": "submitMessages",
                "summary": "Submit a batch of 1 to 1000 inbound messages",
                "description": "Each message is accepted or rejected on its own; the results "
                "come in the order sent. The same source and key again with the same "
                "payload is a duplicate (the first message's id), with another payload "
                "an idempotency_conflict.",
                "security": SECURITY,
                "requestBody": _json_body(_ref("SubmitRequest")),
                "responses": {
                    **_ok("Every message accepted or duplicate.", _ref("SubmitResponse"), 202),
                    **_ok(
                        "At least one message rejected (its errors name the fields); "
                        "the others are accepted.",
                        _ref("SubmitResponse"),
                        422,
                    ),
                    **_error_responses(400, 401, 403, 413),
                },
            },
            "get": {
                "operationId": "listMessages",
                "summary": "Messages, oldest first, paged with next_cursor",
                "description": "Paging with next_cursor neither skips nor repeats a message "
                "while new ones arrive. A malformed limit, state, since or cursor is a 422 "
                "naming it.",
                "security": SECURITY,
                "parameters": [
                    _query("source", {"type": "string"}, "Source code."),
                    _query("state", {"type": "string", "enum": STATES}, "Message state."),
                    _query("type", {"type": "string"}, "Message type."),
                    _query(
                        "since",
                        {"type": "string", "format": "date-time"},
                        "Received at or after this date and time (ISO 8601).",
                    ),
                    _query(
                        "limit",
                        {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
                        "Page size.",
                    ),
                    _query("cursor", {"type": "string"}, "next_cursor of the previous page."),
                ],
                "responses": {
                    **_ok("A page of messages.", _ref("MessagePage")),
                    **_error_responses(401, 403, 422),
                },
            },
        },
        f"{API}/messages/{{id}}": {
            "get": {
                "operationId": "getMessage",
                "summary": "One message and its state",
                "security": SECURITY,
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "The id given by POST /messages. Anything else, or a "
                        "message of a company the user may not use, is a 404.",
                    }
                ],
                "responses": {
                    **_ok("The message.", _ref("MessageView")),
                    **_error_responses(401, 403, 404),
                },
            }
        },
        f"{API}/health": {
            "get": {
                "operationId": "health",
                "summary": "Queue depth per state, oldest pending age, last hour's throughput",
                "security": SECURITY,
                "responses": {**_ok("Queue health.", _ref("Health")), **_error_responses(401, 403)},
            }
        },
        f"{API}/reconcile": {
            "post": {
                "operationId": "reconcile",
                "summary": "What became of each of up to 10,000 idempotency keys of a source",
                "description": "No source, an unknown source or keys that are not strings: 422 "
                "naming the field; more than 10,000 keys: 413.",
                "security": SECURITY,
                "requestBody": _json_body(_ref("ReconcileRequest")),
                "responses": {
                    **_ok("Counts, unknown keys and messages not done.", _ref("ReconcileResponse")),
                    **_error_responses(400, 401, 403, 413, 422),
                },
            }
        },
        f"{API}/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": _ok("The OpenAPI 3.1 document.", {"type": "object"}),
            }
        },
    }


def build_openapi(
    payload_schemas: dict[str, dict[str, Any]], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole document; ``extra`` may hold more ``paths`` and ``components``.

    ``payload_schemas`` maps each message type to the JSON Schema of its
    pydantic payload model; each becomes ``Payload.<type>``, wrapped in the
    envelope ``Message.<type>``, one branch of ``Message`` (by ``type``).
    """
    components = _base_components(sorted(payload_schemas))
    for message_type, schema in sorted(payload_schemas.items()):
        schema = copy.deepcopy(schema)
        # Nested models (``$defs``) are named after their type, so that two
        # modules' ``LinePayload`` cannot overwrite each other.
        prefix = payload_component_name(message_type) + "."
        for name, definition in schema.pop("$defs", {}).items():
            components[prefix + name] = _rewrite_refs(definition, prefix)
        components[payload_component_name(message_type)] = _rewrite_refs(schema, prefix)
        components[message_component_name(message_type)] = _envelope_schema(
            {"type": "string", "const": message_type}, _ref(payload_component_name(message_type))
        )
    paths = _base_paths()
    extra = extra or {}
    paths.update(extra.get("paths", {}))
    components.update(extra.get("components", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Construction suite integration API",
            "version": "1.0.0",
            "description": "Inbound messages, their state, reconciliation and health, as "
            "the integration contract (version 1) writes them; webhook events are described "
            "in the README. Authentication: the Odoo API key of a user in the Integration "
            "group, as 'Authorization: Bearer <key>'. Every error of a whole request is "
            '{"errors": [{"code", "field", "message"}]} (ErrorResponse), the shape of the '
            "errors of a rejected message; field is the dotted path of the culprit, or null.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The Odoo API key of a user in the Integration group.",
                }
            },
        },
    }
