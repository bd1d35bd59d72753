#include "wam_request.h"

#include "json.h"

namespace entra_broker {
namespace wam {

namespace {

// Reads the members of one request object, remembering the first problem.
class Reader {
 public:
  explicit Reader(const json::Value& object) : object_(object) {}

  const std::string& problem() const { return problem_; }

  // Absent: *out untouched (false). Present and a string: read (true). Otherwise a problem.
  bool String(const char* key, std::string* out, bool required = false) {
    const json::Value* v = Find(key, required);
    if (v == nullptr) return false;
    if (!v->is_string()) return Fail(std::string(key) + " must be a string");
    *out = v->get_ref<const std::string&>();
    return true;
  }

  void Bool(const char* key, bool* out) {
    const json::Value* v = Find(key, false);
    if (v == nullptr) return;
    if (!v->is_boolean())
      Fail(std::string(key) + " must be true or false");
    else
      *out = v->get<bool>();
  }

  void Prompt(bool* force) {
    const json::Value* v = Find("prompt", false);
    if (v == nullptr) return;
    if (!v->is_number())
      Fail("prompt must be a number (0 or 1)");
    else
      *force = v->get<double>() == 1;
  }

  void StringMap(const char* key, std::map<std::string, std::string>* out) {
    const json::Value* v = Find(key, false);
    if (v == nullptr) return;
    if (!v->is_object()) {
      Fail(std::string(key) + " must be an object of strings");
      return;
    }
    for (const auto& item : v->items()) {
      if (!item.value().is_string()) {
        Fail(std::string(key) + "." + item.key() + " must be a string");
        return;
      }
      (*out)[item.key()] = item.value().get_ref<const std::string&>();
    }
  }

  void StringList(const char* key, std::vector<std::string>* out) {
    const json::Value* v = Find(key, true);
    if (v == nullptr) return;
    if (!v->is_array()) {
      Fail(std::string(key) + " must be an array of strings");
      return;
    }
    for (const json::Value& item : *v) {
      if (!item.is_string()) {
        Fail(std::string(key) + " must be an array of strings");
        return;
      }
      out->push_back(item.get_ref<const std::string&>());
    }
  }

 private:
  const json::Value* Find(const char* key, bool required) {
    auto it = object_.find(key);
    if (it != object_.end()) return &*it;
    if (required) Fail(std::string("the request has no ") + key);
    return nullptr;
  }
  bool Fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
    return false;
  }

  const json::Value& object_;
  std::string problem_;
};

}  // namespace

bool ParseWamRequest(BrokerOp op, const std::string& payload, WamRequest* out, BrokerOutcome* failure) {
  json::Value object;
  std::string error;
  if (!IsValidUtf8(payload))
    error = "it is not valid UTF-8";
  else if (json::Parse(payload, &object, &error) && !object.is_object())
    error = "it is not a JSON object";
  if (!error.empty()) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "the WAM request is unreadable: " + error);
    return false;
  }
  Reader r(object);
  WamRequest& q = *out;
  r.String("providerId", &q.provider_id, true);
  r.String("clientId", &q.client_id, op == BrokerOp::kAccounts || op == BrokerOp::kSignOut);
  if (op == BrokerOp::kAccounts) {
    r.StringList("authorities", &q.authorities);
    r.String("accountId", &q.account_id);
  } else {
    r.String("authority", &q.authority);
  }
  if (op == BrokerOp::kInteractiveToken || op == BrokerOp::kSilentToken) {
    r.String("scope", &q.scope, true);
    r.Prompt(&q.force_prompt);
    r.StringMap("properties", &q.properties);
    r.StringMap("appProperties", &q.app_properties);
    r.String("accountId", &q.account_id);
    r.String("accountAuthority", &q.account_authority);
    r.Bool("defaultAccount", &q.default_account);
    r.String("defaultProviderId", &q.default_provider_id, q.default_account);
  }
  if (op == BrokerOp::kSignOut) r.String("accountId", &q.account_id, true);
  if (r.problem().empty() && q.provider_id.empty()) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "the WAM request's providerId is empty");
    return false;
  }
  if (!r.problem().empty()) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "the WAM request is invalid: " + r.problem());
    return false;
  }
  return true;
}

}  // namespace wam
}  // namespace entra_broker
