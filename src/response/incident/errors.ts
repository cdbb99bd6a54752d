/** Stable codes of incidents: opening, reading and closing them, and their indicator files. */
export type IncidentErrorCode =
  /** No incident with that id in the store. */
  | 'INCIDENT_NOT_FOUND'
  /** A window, scope, name or source an incident cannot have (names the flag or field). */
  | 'INCIDENT_INVALID'
  /** The incident is already closed. */
  | 'INCIDENT_CLOSED'
  /** An indicator file that cannot be read or has a line that is no indicator; names file:line. */
  | 'INCIDENT_IOC_INVALID'
  /** A stored incident row that does not parse (its indicators' JSON). */
  | 'INCIDENT_ROW_INVALID';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    incident: IncidentErrorCode;
  }
}
