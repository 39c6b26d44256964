import { registrationSchema } from '../../client/webhook/registration';
import { workOrderStepAttributes } from '../../client/webhook/step-attributes';
import { loadConfig } from '../../config/config';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { loadMappingProject } from '../../mappings/project/loader';

test('the Update step reports what the work order task reads, by logical name, and what makes a work order eligible', () => {
  const project = loadMappingProject(loadConfig({}).mappingProject, connectorCatalog());
  const attributes = workOrderStepAttributes(project);
  expect(attributes).toEqual(
    expect.arrayContaining([
      'msdyn_systemstatus',
      'msdynce_hasexternallymaintainedproductsonly',
      'msdyn_totalamount',
      'msdyn_estimatesubtotalamount',
      // Lookups the template maps, as filtering attributes name them (not `_x_value`).
      'msdyn_serviceaccount',
      'msdyn_billingaccount',
    ]),
  );
  expect(attributes.filter((name) => name.startsWith('_'))).toEqual([]);
});

test('the webhook URL is the endpoint work order route, https off this machine', () => {
  const updateAttributes = ['msdyn_systemstatus'];
  const accepts = (url: string) => registrationSchema.safeParse({ url, updateAttributes }).success;
  expect(accepts('https://fsfo.contoso.com/webhooks/dataverse/work-orders')).toBe(true);
  expect(accepts('http://127.0.0.1:5090/webhooks/dataverse/work-orders')).toBe(true);
  expect(accepts('http://fsfo.contoso.com/webhooks/dataverse/work-orders')).toBe(false);
  expect(accepts('https://fsfo.contoso.com/webhooks/fno/business-events')).toBe(false);
});
