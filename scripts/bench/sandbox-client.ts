import type { RunningSandboxes } from '../../sandboxes';

/** Field Service option set values the benchmark writes. */
const WorkOrderStatus = { Unscheduled: 690970000, Completed: 690970003 } as const;
const LineStatus = { Used: 690970001 } as const;

/** The products of the sandboxes' demo catalog that exist on both sides (product and service lines). */
export const CATALOG = [
  { number: 'P-1000', kind: 'product', price: 45 },
  { number: 'S-3000', kind: 'service', price: 80 },
  { number: 'P-1001', kind: 'product', price: 30 },
  { number: 'P-2000', kind: 'product', price: 12 },
  { number: 'S-3001', kind: 'service', price: 95 },
] as const;

/**
 * Line `line` (1…) of a bench work order: the catalog's items in turn, `line` × `scale` of a product or
 * `line` × `scale` half-hours of a service; the quantity is what F&O's order line says (hours for services).
 */
export function catalogLine(line: number, scale = 1) {
  const item = CATALOG[(line - 1) % CATALOG.length]!;
  return { item, quantity: item.kind === 'product' ? line * scale : (line * scale) / 2 };
}

export interface WorkOrderLine {
  entitySet: 'msdyn_workorderproducts' | 'msdyn_workorderservices';
  id: string;
  line: number;
  quantity: number;
}

export interface RequestStats {
  total: number;
  byMethod: Record<string, number>;
  byEntitySet: Record<string, number>;
  byStatus: Record<string, number>;
  requests: { method: string; entitySet: string; status: number; count: number }[];
}

export type Service = 'token' | 'dataverse' | 'finance';

/**
 * Plain HTTP access to the sandboxes for the benchmark (independent of the product's connectors):
 * creating work orders in Field Service, posting invoices and reading statistics on the control API.
 */
export class SandboxClient {
  readonly #sandboxes: RunningSandboxes;
  readonly #tokens = new Map<string, Promise<string>>();
  #reference: Promise<{ ea: string; hr: string; usd: string }> | undefined;

  constructor(sandboxes: RunningSandboxes) {
    this.#sandboxes = sandboxes;
  }

  #token(resource: string): Promise<string> {
    let token = this.#tokens.get(resource);
    if (!token) {
      const { urls, app } = this.#sandboxes;
      token = fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: app.clientId,
          client_secret: app.clientSecret,
          grant_type: 'client_credentials',
          scope: `${resource}/.default`,
        }),
      })
        .then((response) => response.json() as Promise<{ access_token: string }>)
        .then((body) => body.access_token);
      this.#tokens.set(resource, token);
    }
    return token;
  }

  async #dataverse<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const base = this.#sandboxes.urls.dataverse;
    const response = await fetch(`${base}/api/data/v9.2/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.#token(base)}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: response.headers,
    };
  }

  async #idOf(entitySet: string, filter: string, key: string): Promise<string> {
    const { body } = await this.#dataverse<{ value: Record<string, string>[] }>(
      'GET',
      `${entitySet}?$filter=${encodeURIComponent(filter)}&$select=${key}`,
    );
    const id = body.value[0]?.[key];
    if (!id) throw new Error(`no ${entitySet} matches ${filter}`);
    return id;
  }

  async #create(entitySet: string, body: Record<string, unknown>): Promise<string> {
    const { headers } = await this.#dataverse('POST', entitySet, body);
    const id = /\(([^)]+)\)$/.exec(headers.get('odata-entityid') ?? '')?.[1];
    if (!id) throw new Error(`POST ${entitySet}: no OData-EntityId in the answer`);
    return id;
  }

  #referenceData(): Promise<{ ea: string; hr: string; usd: string }> {
    this.#reference ??= Promise.all([
      this.#idOf('uoms', "msdyn_symbol eq 'ea'", 'uomid'),
      this.#idOf('uoms', "msdyn_symbol eq 'hr'", 'uomid'),
      this.#idOf('transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid'),
    ]).then(([ea, hr, usd]) => ({ ea, hr, usd }));
    return this.#reference;
  }

  /**
   * A completed work order for customer US-001 with `lines` used lines cycling through the catalog's
   * products and services (line order 1…K, quantities as `catalogLine` says), ready to be invoiced.
   */
  async createCompletedWorkOrder(number: string, lines: number, scale = 1): Promise<void> {
    await this.#createWorkOrder(number, lines, WorkOrderStatus.Completed, scale);
  }

  /**
   * The same work order, still Unscheduled (the template's filter leaves it out: neither the watcher nor
   * the webhook starts its workflow): `completeWorkOrder` makes it eligible. Returns its id.
   */
  async createUnscheduledWorkOrder(number: string, lines: number): Promise<string> {
    return this.#createWorkOrder(number, lines, WorkOrderStatus.Unscheduled, 1);
  }

  /** The technician completes the work order: the write that makes it eligible for invoicing. */
  async completeWorkOrder(workOrderId: string): Promise<void> {
    await this.#dataverse('PATCH', `msdyn_workorders(${workOrderId})`, {
      msdyn_systemstatus: WorkOrderStatus.Completed,
    });
  }

  async #createWorkOrder(number: string, lines: number, status: number, scale: number): Promise<string> {
    const { usd } = await this.#referenceData();
    const id = await this.#create('msdyn_workorders', {
      msdyn_name: number,
      msdyn_systemstatus: status,
      'msdyn_serviceaccount@odata.bind': "/accounts(accountnumber='US-001')",
      'msdyn_billingaccount@odata.bind': "/accounts(accountnumber='US-001')",
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    });
    for (let line = 1; line <= lines; line++) await this.addUsedLine(id, number, line, scale);
    return id;
  }

  /** A used line `line` (`<work order>-<line>`) on the work order whose id is `workOrderId`. */
  async addUsedLine(workOrderId: string, number: string, line: number, scale = 1): Promise<void> {
    const { ea, hr } = await this.#referenceData();
    const { item, quantity } = catalogLine(line, scale);
    const common = {
      msdyn_name: `${number}-${line}`,
      msdyn_lineorder: line,
      msdyn_linestatus: LineStatus.Used,
      msdyn_estimateunitamount: item.price,
      msdyn_unitamount: item.price,
      'msdyn_workorder@odata.bind': `/msdyn_workorders(${workOrderId})`,
    };
    if (item.kind === 'product') {
      await this.#create('msdyn_workorderproducts', {
        ...common,
        msdyn_allocated: true,
        msdyn_estimatequantity: quantity,
        msdyn_quantity: quantity,
        'msdyn_product@odata.bind': `/products(productnumber='${item.number}')`,
        'msdyn_unit@odata.bind': `/uoms(${ea})`,
      });
    } else {
      await this.#create('msdyn_workorderservices', {
        ...common,
        msdyn_estimateduration: quantity * 60,
        msdyn_duration: quantity * 60,
        'msdyn_service@odata.bind': `/products(productnumber='${item.number}')`,
        'msdyn_unit@odata.bind': `/uoms(${hr})`,
      });
    }
  }

  async workOrderId(number: string): Promise<string> {
    return this.#idOf(
      'msdyn_workorders',
      `msdyn_name eq '${number.replaceAll("'", "''")}'`,
      'msdyn_workorderid',
    );
  }

  /** The used lines of a work order as they are now: line order and quantity (hours for services). */
  async workOrderLines(workOrderId: string): Promise<WorkOrderLine[]> {
    const of = `$filter=${encodeURIComponent(`_msdyn_workorder_value eq ${workOrderId}`)}`;
    const products = await this.dataverseGet<{
      value: { msdyn_workorderproductid: string; msdyn_lineorder: number; msdyn_quantity: number }[];
    }>(`msdyn_workorderproducts?${of}&$select=msdyn_lineorder,msdyn_quantity`);
    const services = await this.dataverseGet<{
      value: { msdyn_workorderserviceid: string; msdyn_lineorder: number; msdyn_duration: number }[];
    }>(`msdyn_workorderservices?${of}&$select=msdyn_lineorder,msdyn_duration`);
    return [
      ...products.value.map((row) => ({
        entitySet: 'msdyn_workorderproducts' as const,
        id: row.msdyn_workorderproductid,
        line: row.msdyn_lineorder,
        quantity: row.msdyn_quantity,
      })),
      ...services.value.map((row) => ({
        entitySet: 'msdyn_workorderservices' as const,
        id: row.msdyn_workorderserviceid,
        line: row.msdyn_lineorder,
        quantity: row.msdyn_duration / 60,
      })),
    ];
  }

  /** Sets a product line's used quantity, as a technician correcting it does. */
  async setProductQuantity(lineId: string, quantity: number): Promise<void> {
    await this.#dataverse('PATCH', `msdyn_workorderproducts(${lineId})`, {
      msdyn_estimatequantity: quantity,
      msdyn_quantity: quantity,
    });
  }

  async deleteLine(line: WorkOrderLine): Promise<void> {
    await this.#dataverse('DELETE', `${line.entitySet}(${line.id})`);
  }

  /** A write on the Dataverse Web API, as a Field Service user makes it; returns the new row's id on POST. */
  async dataverseWrite(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<string | undefined> {
    const { headers } = await this.#dataverse(method, path, body);
    return /\(([^)]+)\)$/.exec(headers.get('odata-entityid') ?? '')?.[1];
  }

  /** A POST on the F&O OData service (`entitySet` after `/data/`), as an F&O user makes it. */
  async financeCreate(entitySet: string, body: Record<string, unknown>): Promise<void> {
    const base = this.#sandboxes.urls.finance;
    const response = await fetch(`${base}/data/${entitySet}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await this.#token(base)}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${entitySet}: ${response.status} ${await response.text()}`);
  }

  /**
   * Copies of a Dataverse row and its child rows (`/_sandbox/tables/<set>/<id>/copies`), one per entry of
   * `replacements` (texts to replace in every string column), written at `modifiedOn`.
   */
  async copyDataverseRows(
    entitySet: string,
    id: string,
    replacements: Record<string, string>[],
    modifiedOn: Date,
  ): Promise<void> {
    const response = await this.#control('dataverse', 'POST', `tables/${entitySet}/${id}/copies`, {
      copies: replacements.map((replace) => ({ replace })),
      modifiedOn: modifiedOn.toISOString(),
    });
    if (response.status !== 200)
      throw new Error(`copies of ${entitySet}(${id}): ${response.status} ${await response.text()}`);
  }

  /** Copies of an F&O document's rows in `entities` matching `where` (`/_sandbox/companies/<c>/copies`). */
  async copyFinanceDocument(
    company: string,
    entities: string[],
    where: Record<string, string>,
    replacements: Record<string, string>[],
  ): Promise<void> {
    const response = await this.#control('finance', 'POST', `companies/${company}/copies`, {
      entities,
      where,
      copies: replacements.map((replace) => ({ replace })),
    });
    if (response.status !== 200)
      throw new Error(`copies of ${JSON.stringify(where)}: ${response.status} ${await response.text()}`);
  }

  /** GET on the Dataverse Web API (`path` after `/api/data/v9.2/`). */
  async dataverseGet<T>(path: string): Promise<T> {
    return (await this.#dataverse<T>('GET', path)).body;
  }

  /** GET on the F&O OData service (`path` after `/data/`). */
  async financeGet<T>(path: string): Promise<T> {
    const base = this.#sandboxes.urls.finance;
    const response = await fetch(`${base}/data/${path}`, {
      headers: { authorization: `Bearer ${await this.#token(base)}`, accept: 'application/json' },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Fault injection on one service (`PUT /_sandbox/faults`); `{}` turns every fault off. */
  async setFaults(service: Service, faults: Record<string, number>): Promise<void> {
    const response = await this.#control(service, 'PUT', 'faults', faults);
    if (response.status !== 200)
      throw new Error(`PUT ${service} faults: ${response.status} ${await response.text()}`);
  }

  async #control(service: Service, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.#sandboxes.urls[service]}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** An F&O user posts the sales order's invoice; returns the invoice number. */
  async postInvoice(company: string, salesOrder: string): Promise<string> {
    const response = await this.#control(
      'finance',
      'POST',
      `sales-orders/${encodeURIComponent(company)}/${encodeURIComponent(salesOrder)}/post-invoice`,
    );
    const text = await response.text();
    if (response.status !== 200) throw new Error(`post-invoice ${salesOrder}: ${response.status} ${text}`);
    return (JSON.parse(text) as { InvoiceNumber: string }).InvoiceNumber;
  }

  async resetStats(): Promise<void> {
    for (const service of ['token', 'dataverse', 'finance'] as const) {
      const response = await this.#control(service, 'DELETE', 'stats');
      if (response.status !== 204) throw new Error(`DELETE ${service} stats: ${response.status}`);
    }
  }

  async stats(): Promise<Record<Service, RequestStats>> {
    const read = async (service: Service) =>
      (await (await this.#control(service, 'GET', 'stats')).json()) as RequestStats;
    return { token: await read('token'), dataverse: await read('dataverse'), finance: await read('finance') };
  }
}
