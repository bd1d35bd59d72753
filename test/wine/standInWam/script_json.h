// The stand-in's JSON: its script and state files and its call log, on the addon's own JSON layer
// (native/win/json.h, nlohmann/json), with the few lenient readers a test script wants.
#ifndef ENTRA_BROKER_STANDIN_SCRIPT_JSON_H_
#define ENTRA_BROKER_STANDIN_SCRIPT_JSON_H_

#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "win/json.h"

namespace standin {
namespace json {

using entra_broker::json::Parse;
using entra_broker::json::Value;
using entra_broker::json::Write;

// Member `key` of an object; null when absent or `object` is not one.
inline const Value* Get(const Value& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}
inline const Value* Get(const Value* object, const char* key) { return object ? Get(*object, key) : nullptr; }
inline std::string Str(const Value& object, const char* key, const std::string& fallback = "") {
  const Value* v = Get(object, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}
inline double Num(const Value& object, const char* key, double fallback) {
  const Value* v = Get(object, key);
  return v && v->is_number() ? v->get<double>() : fallback;
}
inline bool Bool(const Value& object, const char* key, bool fallback) {
  const Value* v = Get(object, key);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}
// The elements of an array (none for anything else), for range-for.
inline const Value& Elements(const Value* v) {
  static const Value kNone = Value::array();
  return v && v->is_array() ? *v : kNone;
}

// One JSON object, member by member, for the call log and the tokens the stand-in makes.
class ObjectWriter {
 public:
  ObjectWriter& String(const char* key, const std::string& value) { return Set(key, value); }
  ObjectWriter& Number(const char* key, double value) {
    if (std::trunc(value) == value && std::fabs(value) < 9e15) return Set(key, static_cast<std::int64_t>(value));
    return Set(key, value);
  }
  ObjectWriter& Raw(const char* key, const std::string& json) {
    Value v;
    std::string error;
    Parse(json, &v, &error);
    return Set(key, v);
  }
  ObjectWriter& StringMap(const char* key, const std::map<std::string, std::string>& map) {
    Value v = Value::object();
    for (const auto& kv : map) v[kv.first] = kv.second;
    return Set(key, v);
  }
  std::string Finish() const { return Write(object_); }

 private:
  template <typename T>
  ObjectWriter& Set(const char* key, T&& value) {
    object_[key] = std::forward<T>(value);
    return *this;
  }
  Value object_ = Value::object();
};

}  // namespace json
}  // namespace standin

#endif  // ENTRA_BROKER_STANDIN_SCRIPT_JSON_H_
