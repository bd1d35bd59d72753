// Keeps this DLL loaded for the life of the process from its first load. Node unloads an addon
// (FreeLibrary) when the last environment that loaded it ends (a worker thread), though a call's
// thread may still run in it. Idempotent; called at module init (and by native/binding.cc through
// broker.h's declaration once that lands).
#ifndef ENTRA_BROKER_WIN_MODULE_PIN_H_
#define ENTRA_BROKER_WIN_MODULE_PIN_H_

namespace entra_broker {

void PinModuleForProcessLifetime();

}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_MODULE_PIN_H_
