// A helper worker of a team (web/engine/teams.js): a replica of one session that computes the
// gradients of the parts of each step it is given (wasm/team.js, serveTeam).
import { serveTeam } from '../../wasm/team.js';

serveTeam(/** @type {any} */ (self));
