"""The HTTP endpoints of the integration contract (``/construction/api/v1``).

Every answer is JSON; errors have the shape
``{"errors": [{"code": ..., "field": ..., "message": ...}]}``. Authentication
is the user's API key as a bearer token; the user must hold the Integration
group. Database errors are not caught here, so that Odoo retries a request
that lost a serialization race (the same key sent twice at once).
"""

import re
from datetime import datetime

from odoo import http
from odoo.http import request

from ..domain import envelope as envelope_rules
from ..domain import reconcile
from ..domain.cursor import decode_cursor
from ..domain.errors import (
    INVALID_TYPE,
    INVALID_VALUE,
    ApiError,
)
from ..domain.openapi import build_openapi
from ..models.construction_sync_inbound import SubmitForbidden

API = "/construction/api/v1"
BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)
STATES = ("pending", "processing", "done", "failed", "dead", "rejected")
MESSAGE_ID = re.compile(r"^[0-9]{1,10}$")
MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of ids


def json_response(body, status=200):
    return request.make_json_response(body, status=status)


def error_response(status, code, message, field=None):
    return json_response({"errors": [ApiError(code, field, message).as_dict()]}, status)


class ApiDenied(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def authenticate():
    """Switch the request to the API key's user, or raise ApiDenied (401 / 403)."""
    match = BEARER.match(request.httprequest.headers.get("Authorization", ""))
    if not match:
        raise ApiDenied(401, "unauthorized", "Send the API key as 'Authorization: Bearer <key>'.")
    uid = request.env["res.users.apikeys"]._check_credentials(scope="rpc", key=match.group(1))
    if not uid:
        raise ApiDenied(401, "unauthorized", "The API key is not valid or its user is inactive.")
    request.update_env(user=uid)
    if not request.env.user.has_group("construction_connector.group_integration"):
        raise ApiDenied(
            403, "forbidden", "The user does not hold the Construction / Integration group."
        )
    return request.env.user


def api_route(path, methods, readonly=True):
    """An API route: JSON in and out, API-key authentication, no session, no CSRF.

    Routes that only read run on a read-only cursor (a replica when configured).
    """

    def decorator(func):
        def wrapper(self, *args, **kwargs):
            try:
                authenticate()
            except ApiDenied as denied:
                return error_response(denied.status, denied.code, denied.message)
            return func(self, *args, **kwargs)

        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        return http.route(
            path,
            type="http",
            auth="none",
            methods=methods,
            csrf=False,
            save_session=False,
            readonly=readonly,
        )(wrapper)

    return decorator


def _request_error(error):
    return json_response({"errors": [error.error.as_dict()]}, error.status)


class ConstructionApi(http.Controller):
    @api_route(f"{API}/messages", methods=["POST"], readonly=False)
    def submit(self):
        length = request.httprequest.content_length
        if length and length > envelope_rules.MAX_BODY_BYTES:
            return error_response(
                413,
                "too_long",
                f"The body is larger than {envelope_rules.MAX_BODY_BYTES} bytes.",
            )
        body = envelope_rules.parse_body(request.httprequest.get_data())
        if isinstance(body, envelope_rules.RequestError):
            return _request_error(body)
        messages = envelope_rules.validate_batch(body)
        if isinstance(messages, envelope_rules.RequestError):
            return _request_error(messages)
        try:
            results = request.env["construction.sync.inbound"]._submit(messages)
        except SubmitForbidden as exc:
            return error_response(403, "forbidden_company", str(exc.args[0]))
        status = 422 if any(result["errors"] for result in results) else 202
        return json_response({"results": results}, status)

    @api_route(f"{API}/messages/<path:message_id>", methods=["GET"])
    def message(self, message_id):
        """One message. Any text after ``messages/`` reaches here, so that an id
        that is not one (``abc``, ``-1``, beyond PostgreSQL's integers) is a JSON
        ``404`` like an id that does not exist, not Odoo's HTML page or a 500."""
        message = request.env["construction.sync.inbound"].browse()
        if MESSAGE_ID.match(message_id) and int(message_id) <= MAX_ID:
            message = message.search([("id", "=", int(message_id))])
        if not message:
            return error_response(404, "not_found", f"No message {message_id[:64]!r}.")
        return json_response(message._api_dict())

    @api_route(f"{API}/messages", methods=["GET"])
    def messages(self, **params):
        """List messages; query parameters source, state, type, since, limit, cursor."""
        source, state, since = params.get("source"), params.get("state"), params.get("since")
        message_type, limit, cursor = params.get("type"), params.get("limit"), params.get("cursor")
        try:
            limit = int(limit) if limit not in (None, "") else 100
        except ValueError:
            return error_response(422, INVALID_TYPE, "limit must be a whole number.", "limit")
        if not 1 <= limit <= 1000:
            return error_response(422, INVALID_VALUE, "limit must be from 1 to 1000.", "limit")
        if state and state not in STATES:
            return error_response(
                422, INVALID_VALUE, f"state must be one of {', '.join(STATES)}.", "state"
            )
        for name, value in (("source", source), ("type", message_type)):
            problem = value and envelope_rules.text_problem(value)
            if problem:
                return error_response(422, INVALID_VALUE, f"{name} {problem}.", name)
        since_dt = None
        if since:
            try:
                since_dt = envelope_rules.parse_occurred_at(since)
            except (ValueError, TypeError):
                return error_response(
                    422, INVALID_VALUE, "since must be an ISO 8601 date and time.", "since"
                )
        after = 0
        if cursor:
            try:
                after = decode_cursor(cursor)
            except ValueError:
                return error_response(422, INVALID_VALUE, "cursor is not a valid cursor.", "cursor")
        page = request.env["construction.sync.inbound"]._api_list(
            source=source,
            state=state,
            message_type=message_type,
            since=since_dt,
            limit=limit,
            after=after,
        )
        return json_response(page)

    @api_route(f"{API}/health", methods=["GET"])
    def health(self):
        body = request.env["construction.sync.inbound"]._api_health()
        body["checked_at"] = datetime.utcnow().replace(microsecond=0).isoformat() + "Z"
        return json_response(body)

    @api_route(f"{API}/reconcile", methods=["POST"])
    def reconcile(self):
        body = envelope_rules.parse_body(request.httprequest.get_data())
        if isinstance(body, envelope_rules.RequestError):
            return _request_error(body)
        checked = reconcile.validate_reconcile_body(body)
        if isinstance(checked, envelope_rules.RequestError):
            return _request_error(checked)
        result = request.env["construction.sync.inbound"]._api_reconcile(
            checked.source, checked.keys
        )
        if isinstance(result, envelope_rules.RequestError):
            return _request_error(result)
        return json_response(result)

    @http.route(
        f"{API}/openapi.json",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def openapi(self):
        """The OpenAPI 3.1 document: no authentication, it holds no data."""
        inbound = request.env["construction.sync.inbound"].sudo()
        registry = inbound._message_type_registry()
        return json_response(build_openapi(registry.json_schemas(), inbound._openapi_extra()))
