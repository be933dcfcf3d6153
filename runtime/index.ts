// The entry of every container script. The compiler replaces __TAGPIPE_CONFIG__ with the
// environment's configuration as a JSON string literal: data, never code.
import { boot } from "./boot";

declare const __TAGPIPE_CONFIG__: string;

boot(__TAGPIPE_CONFIG__);
