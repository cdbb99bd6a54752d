import type { AlertStatus } from './alert.js';

/**
 * Allowed status changes: open → acknowledged → resolved, or straight open → resolved. A resolved
 * alert stays resolved; a recurrence opens a new alert instead (see alert-dedup.ts).
 */
const ALLOWED: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

export const canTransition = (from: AlertStatus, to: AlertStatus): boolean => ALLOWED[from].includes(to);

export const isAlertStatus = (value: string): value is AlertStatus => value in ALLOWED;
