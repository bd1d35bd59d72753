// The WAM request as src/broker/windows.ts sends it, read and checked before any WinRT call.
// Portable C++17 (no Windows headers): fuzzed and tested on Linux.
//   availability  {providerId, authority}
//   accounts      {providerId, authorities: string[], clientId, accountId?}
//   token         {providerId, authority, clientId, scope, prompt: 0|1, properties: {string: string},
//                  appProperties?: {string: string}, accountId?, accountAuthority?,
//                  defaultAccount?: bool, defaultProviderId?}
//   signOut       {providerId, authority, accountId, clientId}
// A member of the wrong type is an error (BROKER_INVALID_REQUEST), never read as "".
#ifndef ENTRA_BROKER_WIN_WAM_REQUEST_H_
#define ENTRA_BROKER_WIN_WAM_REQUEST_H_

#include <map>
#include <string>
#include <vector>

#include "../broker.h"

namespace entra_broker {
namespace wam {

struct WamRequest {
  std::string provider_id;
  std::string authority;                 // "" = FindAccountProviderAsync without an authority
  std::vector<std::string> authorities;  // accounts
  std::string client_id;
  std::string scope;
  bool force_prompt = false;  // prompt == 1: WebTokenRequestPromptType.ForceAuthentication
  std::map<std::string, std::string> properties;
  std::map<std::string, std::string> app_properties;
  std::string account_id;
  std::string account_authority;  // token: the account's provider authority, else `authority`
  bool default_account = false;
  std::string default_provider_id;
};

// Reads `payload` (UTF-8 JSON) for `op`. False with *failure (BROKER_INVALID_REQUEST) when it is
// not valid UTF-8 JSON, not an object, or a member is missing or of the wrong type.
bool ParseWamRequest(BrokerOp op, const std::string& payload, WamRequest* out, BrokerOutcome* failure);

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_WAM_REQUEST_H_
