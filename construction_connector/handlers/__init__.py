"""Handlers that apply whole batches of inbound messages with batched ORM calls.

A handler is called with the inbound messages of one type (a recordset, in
order) and their validated payloads, and returns a dict
``{message id: (model, ids) | PermanentError}``. It raises for a failure of
the whole batch: the processor then bisects the batch to find the culprit.
"""
