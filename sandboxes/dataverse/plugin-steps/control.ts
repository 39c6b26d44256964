import { jsonResponse } from '../../http/json';
import type { ControlRoute } from '../../platform/control-router';
import type { WebhookPublisher } from './webhook-publisher';

/** `GET /_sandbox/webhook-deliveries`: the asynchronous steps' deliveries, oldest first; `DELETE` clears the log. */
export function webhookControlRoutes(publisher: WebhookPublisher): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: /^\/webhook-deliveries$/,
      handle: () => jsonResponse(200, { value: publisher.deliveries }),
    },
    {
      method: 'DELETE',
      path: /^\/webhook-deliveries$/,
      handle: () => {
        publisher.deliveries.length = 0;
        return { status: 204 };
      },
    },
  ];
}
