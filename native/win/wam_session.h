// One WAM session: WebAuthenticationCoreManager activated on the call's thread, and the WAM
// operations of one broker call run one after another (async_wait.h). Replies are written raw
// (wam_reply.h); src/broker/windows.ts maps WAM's statuses and provider errors.
// Call sequence and properties: shared/research/wam-macos.md part A.
#ifndef ENTRA_BROKER_WIN_WAM_SESSION_H_
#define ENTRA_BROKER_WIN_WAM_SESSION_H_

#include "../broker.h"
#include "async_wait.h"
#include "com.h"
#include "wam_request.h"

namespace entra_broker {
namespace wam {

class Session {
 public:
  Session(const BrokerCall& call, const CallControl& control) : call_(call), control_(control) {}

  // Activates WebAuthenticationCoreManager; a failure means WAM is not here (BROKER_UNAVAILABLE).
  bool Activate(BrokerOutcome* failure);

  BrokerOutcome Availability(const WamRequest& req);
  BrokerOutcome Accounts(const WamRequest& req);
  BrokerOutcome Token(const WamRequest& req, bool interactive);
  BrokerOutcome SignOut(const WamRequest& req);

 private:
  bool FindProvider(const std::string& provider_id, const std::string& authority, ComPtr<IWebAccountProviderAbi>* out,
                    BrokerOutcome* failure);
  bool FindAccount(IWebAccountProviderAbi* provider, const std::string& account_id, ComPtr<IWebAccountAbi>* out,
                   BrokerOutcome* failure);
  bool CreateRequest(const WamRequest& req, IWebAccountProviderAbi* provider, ComPtr<IWebTokenRequestAbi>* out,
                     BrokerOutcome* failure);

  const BrokerCall& call_;
  const CallControl& control_;
  ComPtr<IWebAuthenticationCoreManagerStaticsAbi> statics_;
};

// An HSTRING of request text; false with *failure (BROKER_INVALID_REQUEST) when it cannot be made,
// so that a string is never sent empty in its place.
bool ToHString(const std::string& utf8, const std::string& what, HString* out, BrokerOutcome* failure);

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_WAM_SESSION_H_
