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


def _rewrite_refs(node: Any) -> Any:
    """Point pydantic's ``#/$defs/X`` references at ``#/components/schemas/X``."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def payload_component_name(message_type: str) -> str:
    """``master.vendor`` -> ``Payload.master.vendor``."""
    return f"Payload.{message_type}"


def _error_responses(*statuses: int) -> dict[str, Any]:
    texts = {
        400: "The body is not JSON or lacks a required part.",
        401: "No API key, a wrong key, or an inactive user.",
        403: "The user lacks the Integration group, or may not use the company.",
        404: "Not found.",
        413: "Too many items or a body over 10 MiB.",
        422: "A field is invalid; errors name it.",
    }
    return {
        str(status): {
            "description": texts[status],
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
                "properties": {
                    "model": {"type": ["string", "null"]},
                    "ids": {"type": "array", "items": {"type": "integer"}},
                },
            },
            "correlation_id": {"type": ["string", "null"]},
            "occurred_at": {"type": ["string", "null"]},
            "received_at": {"type": ["string", "null"]},
            "note": {"type": ["string", "null"]},
        },
    }
    envelope = {
        "type": "object",
        "required": ["source", "type", "idempotency_key", "payload"],
        "properties": {
            "source": {"type": "string", "maxLength": 255},
            "type": {"type": "string", "enum": message_types},
            "idempotency_key": {"type": "string", "minLength": 1, "maxLength": 255},
            "occurred_at": {"type": "string", "format": "date-time"},
            "correlation_id": {"type": "string", "maxLength": 255},
            "company": {"type": ["string", "integer"]},
            "payload": {
                "type": "object",
                "description": "The payload of the message type; see the Payload.<type> schemas.",
            },
        },
    }
    result = {
        "type": "object",
        "required": ["idempotency_key", "id", "state", "duplicate", "errors"],
        "properties": {
            "idempotency_key": {"type": "string"},
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
        "Message": envelope,
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
            ],
            "properties": {
                "queue": {
                    "type": "object",
                    "properties": {state: {"type": "integer"} for state in STATES},
                },
                "oldest_pending_age_seconds": {"type": "integer"},
                "done_last_hour": {"type": "integer"},
                "dead_last_hour": {"type": "integer"},
                "outbound": {"type": "object", "additionalProperties": {"type": "integer"}},
                "checked_at": {"type": "string"},
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
                "counts": {"type": "object", "properties": counts},
                "unknown": {"type": "array", "items": {"type": "string"}},
                "not_done": {
                    "type": "array",
                    "items": {
                        "type": "object",
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


def _base_paths() -> dict[str, Any]:
    return {
        f"{API}/messages": {
            "post": {
                "operationId": "submitMessages",
                "summary": "Submit a batch of 1 to 1000 inbound messages",
                "requestBody": _json_body(_ref("SubmitRequest")),
                "responses": {
                    **_ok("Every message accepted or duplicate.", _ref("SubmitResponse"), 202),
                    **_ok("At least one message rejected.", _ref("SubmitResponse"), 422),
                    **_error_responses(400, 401, 403, 413),
                },
            },
            "get": {
                "operationId": "listMessages",
                "summary": "Messages, oldest first, paged with next_cursor",
                "parameters": [
                    {"name": "source", "in": "query", "schema": {"type": "string"}},
                    {"name": "state", "in": "query", "schema": {"type": "string", "enum": STATES}},
                    {"name": "type", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
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
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
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
                "responses": {**_ok("Queue health.", _ref("Health")), **_error_responses(401, 403)},
            }
        },
        f"{API}/reconcile": {
            "post": {
                "operationId": "reconcile",
                "summary": "What became of each of up to 10,000 idempotency keys",
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
                "responses": {"200": {"description": "The OpenAPI document."}},
            }
        },
    }


def build_openapi(
    payload_schemas: dict[str, dict[str, Any]], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole document; ``extra`` may hold more ``paths`` and ``components``."""
    components = _base_components(sorted(payload_schemas))
    for message_type, schema in sorted(payload_schemas.items()):
        schema = copy.deepcopy(schema)
        for name, definition in schema.pop("$defs", {}).items():
            components[name] = _rewrite_refs(definition)
        components[payload_component_name(message_type)] = _rewrite_refs(schema)
    paths = _base_paths()
    extra = extra or {}
    paths.update(extra.get("paths", {}))
    components.update(extra.get("components", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Construction suite integration API",
            "version": "1.0.0",
            "description": "Inbound messages, their state, reconciliation and health; "
            "webhook events are described in the README.",
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
