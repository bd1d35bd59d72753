#import "mac_json.h"

namespace entra_broker {
namespace mac {

std::string Utf8(NSString* s) {
  const char* c = s.UTF8String;
  return c != nullptr ? std::string(c) : std::string();
}

NSString* NSStringFrom(const std::string& s) {
  return [[NSString alloc] initWithBytes:s.data() length:s.size() encoding:NSUTF8StringEncoding];
}

id JsonSafe(id value, int depth) {
  if (value == nil || depth > 8) return [NSNull null];
  if ([value isKindOfClass:[NSString class]] || [value isKindOfClass:[NSNumber class]] ||
      [value isKindOfClass:[NSNull class]])
    return value;
  if ([value isKindOfClass:[NSDictionary class]]) {
    NSMutableDictionary* out = [NSMutableDictionary dictionary];
    for (id key in (NSDictionary*)value) out[[key description]] = JsonSafe(((NSDictionary*)value)[key], depth + 1);
    return out;
  }
  if ([value isKindOfClass:[NSArray class]]) {
    NSMutableArray* out = [NSMutableArray array];
    for (id item in (NSArray*)value) [out addObject:JsonSafe(item, depth + 1)];
    return out;
  }
  return [value description];
}

NSDictionary* DescribeError(NSError* error, int depth) {
  NSMutableDictionary* userInfo = [NSMutableDictionary dictionary];
  for (id key in error.userInfo) {
    if ([key isEqual:NSUnderlyingErrorKey]) continue;
    userInfo[[key description]] = JsonSafe(error.userInfo[key], 1);
  }
  NSMutableDictionary* out = [@{
    @"domain" : error.domain ?: @"",
    @"code" : @(error.code),
    @"description" : error.localizedDescription ?: @"",
    @"userInfo" : userInfo,
  } mutableCopy];
  id underlying = error.userInfo[NSUnderlyingErrorKey];
  if ([underlying isKindOfClass:[NSError class]] && depth < 4)
    out[@"underlying"] = DescribeError((NSError*)underlying, depth + 1);
  return out;
}

bool ToJson(NSDictionary* object, std::string* out) {
  NSError* error = nil;
  NSData* data = [NSJSONSerialization isValidJSONObject:object]
                     ? [NSJSONSerialization dataWithJSONObject:object options:0 error:&error]
                     : nil;
  if (data == nil) return false;
  out->assign(static_cast<const char*>(data.bytes), data.length);
  return true;
}

}  // namespace mac
}  // namespace entra_broker
