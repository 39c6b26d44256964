import { D365Error, type DataverseClient } from '../../connectors';
import { workOrders } from '../../connectors/entities/dataverse';

/** The number (`msdyn_name`) of the work order with this Dataverse id; undefined when there is none. */
export function workOrderNumberLookup(dataverse: DataverseClient) {
  return async (id: string): Promise<string | undefined> => {
    try {
      return (await dataverse.retrieve(workOrders, id)).msdyn_name;
    } catch (err) {
      if (err instanceof D365Error && err.kind === 'not-found') return undefined;
      throw err;
    }
  };
}
