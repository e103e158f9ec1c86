#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterMmap(Napi::Env env, Napi::Object exports);
}
