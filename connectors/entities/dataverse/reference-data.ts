import { z } from 'zod';
import { dataverseRow, guid, lookup, text } from './columns';
import { dataverseTable } from './table';

/** `uomschedule`: a unit group; every product names one, and its default unit belongs to it. */
export const unitGroupSchema = dataverseRow({
  uomscheduleid: guid,
  name: z.string(),
});
export type UnitGroup = z.infer<typeof unitGroupSchema>;
export const unitGroups = dataverseTable('uomschedules', 'uomscheduleid', unitGroupSchema);

/** `uom`: a unit of a unit group; `name` is what F&O knows as the unit symbol. */
export const unitSchema = dataverseRow({
  uomid: guid,
  name: z.string(),
  _uomscheduleid_value: lookup.optional(),
  /** The symbol dual-write maps to F&O's unit symbol (purchase orders). */
  msdyn_symbol: text.optional(),
});
export type Unit = z.infer<typeof unitSchema>;
export const units = dataverseTable('uoms', 'uomid', unitSchema);

/** `transactioncurrency`; `isocurrencycode` is what F&O calls the currency code. */
export const currencySchema = dataverseRow({
  transactioncurrencyid: guid,
  isocurrencycode: z.string(),
  currencyname: text.optional(),
});
export type Currency = z.infer<typeof currencySchema>;
export const currencies = dataverseTable('transactioncurrencies', 'transactioncurrencyid', currencySchema);
