// The JS arguments of call(), checked and copied into a BrokerCall on the JS thread. N-API types
// stay in the binding layer (binding*.cc); a bad argument is a TypeError with a stable code.
#include "binding_args.h"

#include <cmath>
#include <cstring>

namespace entra_broker {
namespace {

constexpr std::size_t kMaxPayloadBytes = 1 << 20;
constexpr std::size_t kMaxCorrelationIdLength = 128;
constexpr double kMaxTimeoutMs = 2147483647.0;
constexpr double kMaxSafeInteger = 9007199254740991.0;

[[noreturn]] void ThrowArg(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error err = Napi::TypeError::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  throw err;
}

std::string Describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined:
      return "undefined";
    case napi_null:
      return "null";
    case napi_boolean:
      return "type boolean";
    case napi_number:
      return "type number (" + v.ToString().Utf8Value() + ")";
    case napi_string:
      return "type string";
    case napi_symbol:
      return "type symbol";
    case napi_function:
      return "function";
    case napi_bigint:
      return "type bigint";
    default:
      return "an instance of " + std::string(v.IsArray() ? "Array" : "Object");
  }
}

BrokerOp ParseOperation(const Napi::Value& v) {
  if (!v.IsString())
    ThrowArg(v.Env(), "ERR_INVALID_ARG_TYPE",
             "The \"operation\" argument must be of type string. Received " + Describe(v));
  BrokerOp op;
  // Measured before it is copied: a huge string is refused without copying it.
  std::size_t bytes = 0;
  bool known = napi_get_value_string_utf8(v.Env(), v, nullptr, 0, &bytes) == napi_ok && bytes <= 64 &&
               ParseBrokerOp(v.As<Napi::String>().Utf8Value(), &op);
  if (!known)
    ThrowArg(v.Env(), "ERR_INVALID_ARG_VALUE",
             "The \"operation\" argument must be one of 'availability', 'interactiveToken', 'silentToken', "
             "'accounts', 'signOut', 'cancelInteractiveFlow'");
  return op;
}

std::string ParsePayload(const Napi::Value& v) {
  if (!v.IsString())
    ThrowArg(v.Env(), "ERR_INVALID_ARG_TYPE",
             "The \"request\" argument must be of type string. Received " + Describe(v));
  std::size_t bytes = 0;  // the UTF-8 length, measured without copying a possibly huge string
  napi_status status = napi_get_value_string_utf8(v.Env(), v, nullptr, 0, &bytes);
  if (status != napi_ok || bytes > kMaxPayloadBytes)
    ThrowArg(v.Env(), "ERR_INVALID_ARG_VALUE",
             "The \"request\" argument must be at most 1048576 bytes of UTF-8. Received " + std::to_string(bytes) +
                 " bytes");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos)
    ThrowArg(v.Env(), "ERR_INVALID_ARG_VALUE", "The \"request\" argument must not contain NUL characters");
  return s;
}

std::uint64_t ParseWindowHandle(const Napi::Value& v) {
  Napi::Env env = v.Env();
  const char* what = "The \"options.parentWindowHandle\" property";
  if (v.IsUndefined() || v.IsNull()) return 0;
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    auto bytes = v.As<Napi::Uint8Array>();
    std::size_t n = bytes.ByteLength();
    if (n != 4 && n != 8)
      ThrowArg(env, "ERR_INVALID_ARG_VALUE",
               std::string(what) + " must be 4 or 8 bytes long (as getNativeWindowHandle() returns). Received " +
                   std::to_string(n) + " bytes");
    if (n == 4) {
      std::uint32_t h;
      std::memcpy(&h, bytes.Data(), 4);
      return h;
    }
    std::uint64_t h;
    std::memcpy(&h, bytes.Data(), 8);
    return h;
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    std::uint64_t h = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless)
      ThrowArg(env, "ERR_INVALID_ARG_VALUE", std::string(what) + " must be a bigint in the range 0 to 2n ** 64n - 1");
    return h;
  }
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < 0 || d > kMaxSafeInteger || std::floor(d) != d)
      ThrowArg(env, "ERR_INVALID_ARG_VALUE",
               std::string(what) + " must be a non-negative safe integer. Received " + Describe(v));
    return static_cast<std::uint64_t>(d);
  }
  ThrowArg(env, "ERR_INVALID_ARG_TYPE",
           std::string(what) + " must be a Buffer, a Uint8Array, a bigint or a number. Received " + Describe(v));
}

std::uint32_t ParseTimeout(const Napi::Value& v) {
  if (v.IsUndefined()) return 0;
  if (!v.IsNumber())
    ThrowArg(v.Env(), "ERR_INVALID_ARG_TYPE",
             "The \"options.timeoutMs\" property must be of type number. Received " + Describe(v));
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < 0 || d > kMaxTimeoutMs || std::floor(d) != d)
    ThrowArg(v.Env(), "ERR_INVALID_ARG_VALUE",
             "The \"options.timeoutMs\" property must be an integer from 0 (no limit) to 2147483647. Received " +
                 Describe(v));
  return static_cast<std::uint32_t>(d);
}

std::string ParseCorrelationId(const Napi::Value& v) {
  if (v.IsUndefined()) return NewCorrelationId();
  if (!v.IsString())
    ThrowArg(v.Env(), "ERR_INVALID_ARG_TYPE",
             "The \"options.correlationId\" property must be of type string. Received " + Describe(v));
  std::size_t units = 0;
  if (napi_get_value_string_utf16(v.Env(), v, nullptr, 0, &units) != napi_ok) throw Napi::Error::New(v.Env());
  if (units == 0) return NewCorrelationId();
  std::string id = units <= kMaxCorrelationIdLength ? v.As<Napi::String>().Utf8Value() : std::string();
  bool ok = !id.empty();
  for (unsigned char c : id) ok = ok && c > 0x20 && c < 0x7f;
  if (!ok)
    ThrowArg(v.Env(), "ERR_INVALID_ARG_VALUE",
             "The \"options.correlationId\" property must be 1 to 128 printable ASCII characters (a UUID)");
  return id;
}

}  // namespace

BrokerCall ParseArguments(const Napi::CallbackInfo& info) {
  BrokerCall call;
  call.op = ParseOperation(info[0]);
  call.payload = ParsePayload(info[1]);
  Napi::Value options = info[2];
  if (options.IsUndefined() || options.IsNull()) {
    call.correlation_id = NewCorrelationId();
    return call;
  }
  if (!options.IsObject() || options.IsArray() || options.IsFunction())
    ThrowArg(info.Env(), "ERR_INVALID_ARG_TYPE",
             "The \"options\" argument must be of type object. Received " + Describe(options));
  Napi::Object o = options.As<Napi::Object>();
  call.parent_window = ParseWindowHandle(o.Get("parentWindowHandle"));
  call.timeout_ms = ParseTimeout(o.Get("timeoutMs"));
  call.correlation_id = ParseCorrelationId(o.Get("correlationId"));
  return call;
}

}  // namespace entra_broker
