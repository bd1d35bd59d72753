// The WAM reply as src/broker/windows.ts reads it, from plain values that wam_read.cc takes from
// the WinRT objects. Portable C++17 (no Windows headers): fuzzed and tested on Linux.
//   availability  {provider: Provider}
//   accounts      {accounts: Account[], providers: [{authority, status, error?}]}
//   token         {status, error?, responses: [{token, properties, account?, error?}]} | {accountNotFound: true}
//   signOut       {signedOut: bool}
#ifndef ENTRA_BROKER_WIN_WAM_REPLY_H_
#define ENTRA_BROKER_WIN_WAM_REPLY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace entra_broker {
namespace wam {

using StringMap = std::map<std::string, std::string>;

struct ProviderInfo {  // WebAccountProvider
  std::string id, display_name, authority;
};

struct AccountInfo {    // WebAccount
  bool has_id = false;  // IWebAccount2 answered: id and properties
  std::string id;
  StringMap properties;
  std::string user_name;
  std::int32_t state = 0;
  std::unique_ptr<ProviderInfo> provider;
};

struct ErrorInfo {  // WebProviderError
  std::uint32_t code = 0;
  std::string message;
  bool has_properties = false;
  StringMap properties;
};

struct ResponseInfo {  // WebTokenResponse
  std::string token;
  bool has_properties = false;
  StringMap properties;
  std::unique_ptr<AccountInfo> account;
  std::unique_ptr<ErrorInfo> error;
};

struct TokenResultInfo {  // WebTokenRequestResult
  std::int32_t status = -1;
  std::unique_ptr<ErrorInfo> error;
  std::vector<ResponseInfo> responses;
};

// One entry of the accounts reply's `providers`: status is a word ("noProvider", "found",
// "notFound", "listingUnsupported") or FindAllWebAccountsStatus as a number.
struct ProviderStatus {
  std::string authority;
  std::string status_word;  // "" = use status_code
  std::int32_t status_code = 0;
  std::unique_ptr<ErrorInfo> error;
};

std::string AvailabilityReply(const ProviderInfo& provider);
std::string AccountsReply(const std::vector<AccountInfo>& accounts, const std::vector<ProviderStatus>& providers);
std::string TokenReply(const TokenResultInfo& result);
std::string AccountNotFoundReply();
std::string SignedOutReply(bool signed_out);

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_WAM_REPLY_H_
