// call()'s arguments (operation, request, options), checked and copied off the JS values.
#pragma once

#include <napi.h>

#include "broker.h"

namespace entra_broker {

// Throws a Napi::TypeError with `code` ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE on bad input.
BrokerCall ParseArguments(const Napi::CallbackInfo& info);

}  // namespace entra_broker
