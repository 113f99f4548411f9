// The one page of the browser UI: the path says which part runs.
//   /setup#TOKEN   the administrator's one-time set-up
//   /c/TOKEN       a candidate's attempt
//   / and /staff   staff: sign-in, campaigns, results, ratings, accounts (the hash picks the page)
import {candidate} from './candidate.js';
import {setup, staff} from './staff.js';

const path = location.pathname;
if (path === '/setup') setup(location.hash.slice(1));
else if (path.startsWith('/c/')) candidate(decodeURIComponent(path.slice(3)));
else staff();
