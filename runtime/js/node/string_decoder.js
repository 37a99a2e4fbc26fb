// node:string_decoder for packages: StringDecoder from the `string_decoder` package (Node's own).
import lib from "string_decoder/";

export const { StringDecoder } = lib;
export default { StringDecoder };
