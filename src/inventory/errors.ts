// A malformed or invalid inventory. A PolicyError (configuration error, exit
// code 2) with file, line and field, under its own name so messages say what
// kind of file was wrong.
import { PolicyError } from '../errors.js';

export class InventoryError extends PolicyError {}
