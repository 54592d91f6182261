// The piscina worker entry. It prints nothing: results, failures included, go back as data.
import { runTask } from '../src/execution/run-task.js';

export default runTask;
