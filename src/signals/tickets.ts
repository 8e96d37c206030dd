import type { EpochMs, Ticket } from '../store/schema';
import { dayMs } from '../store/time';

/** Support ticket facts of one account as of one instant. */
export interface TicketFacts {
  openTickets: number;
  ticketsFirst30Days: number;
}

/**
 * Counts tickets as of `asOf`. A ticket is open when it was opened at or
 * before `asOf` and not closed by then. `ticketsFirst30Days` counts tickets
 * opened in the 30 days (30 × 24 hours) from the term start, among those
 * opened by `asOf`.
 */
export function computeTicketFacts(
  tickets: readonly Ticket[],
  termStart: EpochMs,
  asOf: EpochMs,
): TicketFacts {
  const firstMonthEnd = termStart + 30 * dayMs;
  let openTickets = 0;
  let ticketsFirst30Days = 0;
  for (const ticket of tickets) {
    if (ticket.opened_at > asOf) continue;
    if (ticket.closed_at === null || ticket.closed_at > asOf) openTickets += 1;
    if (ticket.opened_at >= termStart && ticket.opened_at < firstMonthEnd) ticketsFirst30Days += 1;
  }
  return { openTickets, ticketsFirst30Days };
}
