// The entry of a container's tags script (lazy-tags.ts loads it on the first conversion
// that fires a pixel): the platforms' tags its destinations use, handed to the container
// script through window.__tagpipeTags, read when this script's load event fires.
import { fire, googleLoaded, googleLoading, type Tags } from "./vendors";

(window as unknown as { __tagpipeTags: Tags }).__tagpipeTags = { fire, loaded: googleLoaded, loading: googleLoading };
