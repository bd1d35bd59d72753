// Foundation values <-> JSON for the SSO extension's requests and replies (NSJSONSerialization).
#ifndef ENTRA_BROKER_MAC_MAC_JSON_H_
#define ENTRA_BROKER_MAC_MAC_JSON_H_

#import <Foundation/Foundation.h>

#include <string>

#if !__has_feature(objc_arc)
#error "native/mac needs ARC (binding.gyp CLANG_ENABLE_OBJC_ARC, CMakeLists.txt -fobjc-arc)"
#endif

namespace entra_broker {
namespace mac {

std::string Utf8(NSString* s);
NSString* NSStringFrom(const std::string& s);

// Any Foundation value as something NSJSONSerialization accepts (header fields and userInfo may hold
// dates, URLs, errors...). Depth-limited: a reply is data, never a cycle.
id JsonSafe(id value, int depth);

// {domain, code, description, userInfo, underlying}: an NSError as the TypeScript side reads it.
NSDictionary* DescribeError(NSError* error, int depth);

// False when `object` cannot be written as JSON.
bool ToJson(NSDictionary* object, std::string* out);

}  // namespace mac
}  // namespace entra_broker

#endif  // ENTRA_BROKER_MAC_MAC_JSON_H_
