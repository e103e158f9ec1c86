#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterProfile(Napi::Env env, Napi::Object exports);
}
