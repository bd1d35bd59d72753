// The SSO extension through AuthenticationServices: each request is started on the main queue and
// answered to its delegate there; the binding's thread waits for it (mac_wait.h).
#ifndef ENTRA_BROKER_MAC_MAC_SSO_H_
#define ENTRA_BROKER_MAC_MAC_SSO_H_

#include "mac_wait.h"

namespace entra_broker {
namespace mac {

// Is an SSO extension configured for `url` (Company Portal installed, MDM profile)? Success, or
// BROKER_UNAVAILABLE saying what is missing.
BrokerOutcome CanPerform(NSURL* url, const CancelToken& cancel, const Deadline& deadline);

// One operation: start it on the main queue and wait for the delegate, cancel or the deadline.
// Success: *reply is the extension's answer ({operation, response} or {operation, error}).
BrokerOutcome Perform(NSURL* url, NSString* operation, NSDictionary* options, const BrokerCall& call,
                      const CancelToken& cancel, const Deadline& deadline, NSDictionary** reply);

}  // namespace mac
}  // namespace entra_broker

#endif  // ENTRA_BROKER_MAC_MAC_SSO_H_
