import type * as OtelApi from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { redactText } from '@gw/redaction';
import { redactSpanAttributes } from './domain/span-redaction';

/**
 * Hands each finished span on with its name, attributes, events, links and status message redacted
 * (`redactSpanAttributes`): whatever an instrumentation or an exception message put there, no
 * fødselsnummer, token or key leaves the process.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: OtelApi.Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const attributes = (value: OtelApi.Attributes): OtelApi.Attributes => redactSpanAttributes(value);
    // The span itself is read-only once ended: the next processor gets a view with the redacted fields.
    const redacted = Object.create(span, {
      name: { value: redactText(span.name) },
      attributes: { value: attributes(span.attributes) },
      events: {
        value: span.events.map((event) => ({
          ...event,
          name: redactText(event.name),
          attributes: event.attributes && attributes(event.attributes),
        })),
      },
      links: {
        value: span.links.map((link) => ({
          ...link,
          attributes: link.attributes && attributes(link.attributes),
        })),
      },
      status: {
        value: {
          ...span.status,
          ...(span.status.message === undefined ? {} : { message: redactText(span.status.message) }),
        },
      },
    }) as ReadableSpan;
    this.next.onEnd(redacted);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
