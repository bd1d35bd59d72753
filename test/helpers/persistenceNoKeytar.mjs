// Preloaded with `node --import` to play a machine where keytar did not build: requiring it fails
// the way an unbuilt keytar does (its .node file is missing).
import Module from "node:module";

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "keytar") {
    throw Object.assign(new Error("Cannot find module '../build/Release/keytar.node'"), { code: "MODULE_NOT_FOUND" });
  }
  return load.call(this, request, ...rest);
};
