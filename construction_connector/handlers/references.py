"""Resolve the references of a whole batch of payloads, one search per kind.

Payloads name records by business codes (contract: "References inside
payloads"); every handler resolves them through these helpers so that a
batch costs one query per kind of reference, whatever its size.
"""


def vendors(env, source, refs):
    """{ref: partner} for the source's external ids, then by VAT."""
    refs = {ref for ref in refs if ref}
    if not refs:
        return {}
    found = dict(env["construction.external.ref"]._resolve(source, "res.partner", list(refs)))
    missing = refs - set(found)
    if missing:
        for partner in env["res.partner"].sudo().search([("vat", "in", list(missing))], order="id"):
            found.setdefault(partner.vat, partner)
    return found


def vendors_by_source(env, pairs):
    """{source: {ref: partner}} for (source, ref) pairs of a batch."""
    refs = {}
    for source, ref in pairs:
        refs.setdefault(source, set()).add(ref)
    return {source: vendors(env, source, source_refs) for source, source_refs in refs.items()}


def products(env, codes):
    """{default_code: product} of the given codes."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    found = env["product.product"].sudo().search([("default_code", "in", list(codes))])
    return {product.default_code: product for product in found}


def users(env, names):
    """{login or email: user} of the given names."""
    names = {name for name in names if name}
    if not names:
        return {}
    found = (
        env["res.users"]
        .sudo()
        .search(["|", ("login", "in", list(names)), ("email", "in", list(names))], order="id")
    )
    result = {}
    for user in found:
        result.setdefault(user.login, user)
        if user.email:
            result.setdefault(user.email, user)
    return result
