// An image pixel in the container: its URL template, filled in, requested as an image.
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { imageUrl, type Dict } from "../../../runtime/util";

export function fireImagePixel([, , , id]: RuntimeDestination, name: string, _at: number, eventId: string, p: Dict): void {
  new Image().src = imageUrl(id, name, eventId, p);
}
