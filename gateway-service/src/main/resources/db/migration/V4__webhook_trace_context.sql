-- The trace context of the event a delivery carries, so its attempts join the payment's trace. Nullable: rows
-- enqueued before it (or by a gateway without tracing) have none, and the previous version ignores it.
ALTER TABLE webhook_deliveries ADD COLUMN traceparent text;
