#include "wam_reply.h"

#include "json.h"

namespace entra_broker {
namespace wam {

namespace {

json::Value MapJson(const StringMap& map) {
  json::Value out = json::Value::object();
  for (const auto& kv : map) out[kv.first] = kv.second;
  return out;
}

json::Value ProviderJson(const ProviderInfo& p) {
  return {{"id", p.id}, {"displayName", p.display_name}, {"authority", p.authority}};
}

json::Value AccountJson(const AccountInfo& a) {
  json::Value out = json::Value::object();
  if (a.has_id) {
    out["id"] = a.id;
    out["properties"] = MapJson(a.properties);
  }
  out["userName"] = a.user_name;
  out["state"] = a.state;
  if (a.provider) out["provider"] = ProviderJson(*a.provider);
  return out;
}

json::Value ErrorJson(const ErrorInfo& e) {
  json::Value out = {{"code", e.code}, {"message", e.message}};
  if (e.has_properties) out["properties"] = MapJson(e.properties);
  return out;
}

}  // namespace

std::string AvailabilityReply(const ProviderInfo& provider) {
  return json::Write({{"provider", ProviderJson(provider)}});
}

std::string AccountsReply(const std::vector<AccountInfo>& accounts, const std::vector<ProviderStatus>& providers) {
  json::Value list = json::Value::array(), statuses = json::Value::array();
  for (const AccountInfo& a : accounts) list.push_back(AccountJson(a));
  for (const ProviderStatus& p : providers) {
    json::Value entry = {{"authority", p.authority}};
    if (p.status_word.empty())
      entry["status"] = p.status_code;
    else
      entry["status"] = p.status_word;
    if (p.error) entry["error"] = ErrorJson(*p.error);
    statuses.push_back(std::move(entry));
  }
  return json::Write({{"accounts", std::move(list)}, {"providers", std::move(statuses)}});
}

std::string TokenReply(const TokenResultInfo& result) {
  json::Value out = {{"status", result.status}};
  if (result.error) out["error"] = ErrorJson(*result.error);
  json::Value responses = json::Value::array();
  for (const ResponseInfo& r : result.responses) {
    json::Value entry = {{"token", r.token}};
    if (r.has_properties) entry["properties"] = MapJson(r.properties);
    if (r.account) entry["account"] = AccountJson(*r.account);
    if (r.error) entry["error"] = ErrorJson(*r.error);
    responses.push_back(std::move(entry));
  }
  out["responses"] = std::move(responses);
  return json::Write(out);
}

std::string AccountNotFoundReply() { return json::Write({{"accountNotFound", true}}); }

std::string SignedOutReply(bool signed_out) { return json::Write({{"signedOut", signed_out}}); }

}  // namespace wam
}  // namespace entra_broker
