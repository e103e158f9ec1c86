#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterTopK(Napi::Env env, Napi::Object exports);
}
