import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Clock } from '../../core/clock.js';
import type { Runtime } from '../../runtime/runtime.js';
import { VigilError } from '../../core/vigil-error.js';
import type { IncidentsTable, VigilDatabase } from '../../store/database-schema.js';
import type { IncidentErrorCode } from './errors.js';
import { INCIDENT_SCOPES, type Incident, type IncidentScope, type Ioc } from './incident.js';

/** What `vigil incident open` asks for; the store gives it an id, a status and a time. */
export interface IncidentRequest {
  readonly name: string;
  readonly source: string;
  readonly from: string;
  readonly to: string;
  readonly scope: IncidentScope;
  readonly iocs: readonly Ioc[];
}

const ID = /^inc-[0-9a-f]{12}$/;
const MAX_NAME = 200;

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new VigilError<IncidentErrorCode>('INCIDENT_INVALID', message, { category: 'input', details });

/**
 * Incidents in the runtime's store (migration 011). Opening and closing one are also recorded in
 * Vigil's audit log (`incident.open`, `incident.close`) before the call returns: an incident the
 * audit log does not name was never opened.
 */
export class IncidentStore {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly newId: () => string = () => `inc-${randomBytes(6).toString('hex')}`,
  ) {}

  async open(request: IncidentRequest, actor: string): Promise<Incident> {
    const name = request.name.trim();
    // eslint-disable-next-line no-control-regex -- controls are what a name must not hold
    if (name === '' || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name))
      throw invalid(`--name must be 1–${MAX_NAME} printable characters`, { field: 'name' });
    if (!INCIDENT_SCOPES.includes(request.scope))
      throw invalid(`--scope must be one of ${INCIDENT_SCOPES.join(', ')}`, { field: 'scope' });
    const from = Date.parse(request.from);
    const to = Date.parse(request.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
      throw invalid(`the window --from ${request.from} --to ${request.to} is empty or not RFC 3339`, {
        field: 'window',
      });
    const incident: Incident = {
      id: this.newId(),
      name,
      source: request.source,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      scope: request.scope,
      iocs: request.iocs,
      status: 'open',
      openedAt: new Date(this.clock.now()).toISOString(),
    };
    await this.db
      .insertInto('incidents')
      .values({
        id: incident.id,
        name: incident.name,
        source: incident.source,
        from_time: incident.from,
        to_time: incident.to,
        scope: incident.scope,
        iocs_json: JSON.stringify(incident.iocs),
        status: incident.status,
        opened_at: incident.openedAt,
        closed_at: null,
      })
      .execute();
    await this.audit.record({
      actor,
      action: 'incident.open',
      target: incident.id,
      details: {
        name: incident.name,
        source: incident.source,
        from: incident.from,
        to: incident.to,
        scope: incident.scope,
        iocs: incident.iocs.length,
      },
    });
    return incident;
  }

  /** Every incident, newest first. */
  async list(): Promise<Incident[]> {
    const rows = await this.db.selectFrom('incidents').selectAll().orderBy('opened_at', 'desc').execute();
    return rows.map(toIncident);
  }

  async get(id: string): Promise<Incident> {
    const row = ID.test(id)
      ? await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row)
      throw new VigilError<IncidentErrorCode>('INCIDENT_NOT_FOUND', `no incident ${JSON.stringify(id)}`, {
        category: 'input',
        details: { id },
      });
    return toIncident(row);
  }

  async close(id: string, actor: string, reason?: string): Promise<Incident> {
    const incident = await this.get(id);
    if (incident.status === 'closed')
      throw new VigilError<IncidentErrorCode>('INCIDENT_CLOSED', `incident ${id} is already closed`, {
        category: 'input',
        details: { id },
      });
    const closedAt = new Date(this.clock.now()).toISOString();
    await this.db
      .updateTable('incidents')
      .set({ status: 'closed', closed_at: closedAt })
      .where('id', '=', id)
      .execute();
    await this.audit.record({
      actor,
      action: 'incident.close',
      target: id,
      ...(reason === undefined ? {} : { reason }),
    });
    return { ...incident, status: 'closed', closedAt };
  }
}

function toIncident(row: IncidentsTable): Incident {
  let iocs: Ioc[];
  try {
    iocs = JSON.parse(row.iocs_json) as Ioc[];
    if (!Array.isArray(iocs)) throw new TypeError('not an array');
  } catch (error) {
    throw new VigilError<IncidentErrorCode>(
      'INCIDENT_ROW_INVALID',
      `incident ${row.id}: its stored indicators are not a JSON array`,
      { category: 'check', details: { id: row.id }, cause: error },
    );
  }
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    from: row.from_time,
    to: row.to_time,
    scope: row.scope === 'support' ? 'support' : 'all',
    iocs,
    status: row.status === 'closed' ? 'closed' : 'open',
    openedAt: row.opened_at,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
  };
}

/** The incidents of the runtime's store, recording in its audit log. */
export function incidentStore(runtime: Runtime): IncidentStore {
  return new IncidentStore(runtime.store.db, runtime.auditLog(), runtime.options.clock);
}
