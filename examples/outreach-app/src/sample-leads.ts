/** Made-up leads the seeded campaigns work on (every domain is reserved for examples). */
import type { LeadPayload } from './simulated-services.js';

const LEADS: ReadonlyArray<LeadPayload['lead']> = [
  { name: 'Ada Whitfield', company: 'Northwind Freight', domain: 'northwind.example' },
  { name: 'Bruno Castell', company: 'Lumen Analytics', domain: 'lumen.example' },
  { name: 'Chiara Okafor', company: 'Pinecrest Health', domain: 'pinecrest.example' },
  { name: 'Dmitri Hale', company: 'Saltmarsh Robotics', domain: 'saltmarsh.example' },
  { name: 'Elif Brandt', company: 'Copperleaf Energy', domain: 'copperleaf.example' },
  { name: 'Farah Lindqvist', company: 'Harbor & Vine', domain: 'harborvine.example' },
  { name: 'Gideon Mbeki', company: 'Quarry Labs', domain: 'quarrylabs.example' },
  { name: 'Hana Sato', company: 'Bluebird Logistics', domain: 'bluebird.example' },
  { name: 'Ivo Marchetti', company: 'Tidewater Software', domain: 'tidewater.example' },
  { name: 'Jun Park', company: 'Orchard Payments', domain: 'orchardpay.example' },
  { name: 'Kaia Fernsby', company: 'Granite Security', domain: 'granitesec.example' },
  { name: 'Luis Romero', company: 'Meridian Clinics', domain: 'meridian.example' },
];

/** The `index`-th lead, cycling through the list (campaign k, lead i → a different lead per campaign). */
export function sampleLead(index: number): LeadPayload['lead'] {
  return LEADS[index % LEADS.length] as LeadPayload['lead'];
}
