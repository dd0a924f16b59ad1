/** The renderer's one client of the API contract, over whichever transport `pickTransport` chose. */
import { createClient } from '../../shared/api';
import { pickTransport } from './transport';

export const transport = pickTransport();
export const api = createClient(transport.call);
