import { z } from 'zod';

/**
 * Okta System Log `LogEvent`, as Okta documents it (research/okta-api.md §2.1; the management
 * OpenAPI `LogEvent` schema) and as real events carry it (shared/conformance/okta). This is the one
 * domain type for an Okta event: the simulator emits it, the collector parses provider bytes into it,
 * detections read it.
 *
 * Objects are `strict`: a key we do not model is reported, not silently kept, so drift in Okta's
 * format shows up in the conformance suite. The documented free-form maps (`detailEntry`,
 * `debugContext.debugData`, `transaction.detail`, `changeDetails`) stay open records.
 * Okta emits explicit nulls but "properties with null values may be omitted", so every optional
 * field accepts null and absence.
 */

const nullish = <T extends z.ZodTypeAny>(schema: T) => schema.nullable().optional();
const freeForm = z.record(z.string(), z.unknown());

export const geolocationSchema = z.object({ lat: z.number(), lon: z.number() }).strict();

export const geographicalContextSchema = z
  .object({
    city: nullish(z.string()),
    state: nullish(z.string()),
    country: nullish(z.string()),
    postalCode: nullish(z.string()),
    geolocation: nullish(geolocationSchema),
  })
  .strict();

export const ipAddressEntrySchema = z
  .object({
    ip: nullish(z.string()),
    geographicalContext: nullish(geographicalContextSchema),
    version: nullish(z.enum(['V4', 'V6'])),
    source: nullish(z.string()),
  })
  .strict();

export const actorSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    alternateId: nullish(z.string()),
    displayName: nullish(z.string()),
    detailEntry: nullish(freeForm),
  })
  .strict();

export const targetSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    alternateId: nullish(z.string()),
    displayName: nullish(z.string()),
    detailEntry: nullish(freeForm),
    changeDetails: nullish(z.object({ from: nullish(freeForm), to: nullish(freeForm) }).strict()),
  })
  .strict();

export const clientSchema = z
  .object({
    userAgent: nullish(
      z
        .object({
          rawUserAgent: nullish(z.string()),
          os: nullish(z.string()),
          browser: nullish(z.string()),
        })
        .strict(),
    ),
    geographicalContext: nullish(geographicalContextSchema),
    // Okta often sends the *string* "null" here (research/okta-api.md §2.1).
    zone: nullish(z.string()),
    ipAddress: nullish(z.string()),
    device: nullish(z.string()),
    id: nullish(z.string()),
    // Seen on the event-hook sample (research/okta-api.md §2.2 sample 1).
    ipChain: nullish(z.array(ipAddressEntrySchema)),
  })
  .strict();

export const deviceSchema = z
  .object({
    id: nullish(z.string()),
    name: nullish(z.string()),
    os_platform: nullish(z.string()),
    os_version: nullish(z.string()),
    managed: nullish(z.boolean()),
    registered: nullish(z.boolean()),
    device_integrator: nullish(z.union([z.string(), freeForm])),
    disk_encryption_type: nullish(z.string()),
    screen_lock_type: nullish(z.string()),
    jailbreak: nullish(z.boolean()),
    secure_hardware_present: nullish(z.boolean()),
  })
  .strict();

export const outcomeSchema = z
  .object({
    // SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE, UNKNOWN (+ RATE_LIMIT, DEFERRED, ...).
    result: nullish(z.string()),
    reason: nullish(z.string()),
  })
  .strict();

export const authenticationContextSchema = z
  .object({
    authenticationProvider: nullish(z.string()),
    authenticationStep: nullish(z.number().int()),
    credentialProvider: nullish(z.string()),
    credentialType: nullish(z.string()),
    issuer: nullish(z.object({ id: nullish(z.string()), type: nullish(z.string()) }).strict()),
    externalSessionId: nullish(z.string()),
    rootSessionId: nullish(z.string()),
    interface: nullish(z.string()),
  })
  .strict();

export const securityContextSchema = z
  .object({
    asNumber: nullish(z.number().int()),
    asOrg: nullish(z.string()),
    isp: nullish(z.string()),
    domain: nullish(z.string()),
    isProxy: nullish(z.boolean()),
  })
  .strict();

export const transactionSchema = z
  .object({
    id: nullish(z.string()),
    type: nullish(z.string()),
    detail: nullish(freeForm),
  })
  .strict();

export const oktaLogEventSchema = z
  .object({
    uuid: z.string().min(1),
    published: z.string().datetime({ offset: true }),
    eventType: z.string().min(1),
    version: z.string(),
    severity: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    legacyEventType: nullish(z.string()),
    displayMessage: nullish(z.string()),
    actor: actorSchema,
    client: nullish(clientSchema),
    device: nullish(deviceSchema),
    outcome: nullish(outcomeSchema),
    target: nullish(z.array(targetSchema)),
    transaction: nullish(transactionSchema),
    debugContext: nullish(z.object({ debugData: nullish(freeForm) }).strict()),
    authenticationContext: nullish(authenticationContextSchema),
    securityContext: nullish(securityContextSchema),
    request: nullish(z.object({ ipChain: nullish(z.array(ipAddressEntrySchema)) }).strict()),
    // Present (null) on event-hook deliveries (research/okta-api.md §2.1).
    insertionTimestamp: nullish(z.string()),
  })
  .strict();

export type OktaLogEvent = z.infer<typeof oktaLogEventSchema>;
export type OktaActor = z.infer<typeof actorSchema>;
export type OktaTarget = z.infer<typeof targetSchema>;
export type OktaClient = z.infer<typeof clientSchema>;
export type OktaGeographicalContext = z.infer<typeof geographicalContextSchema>;
