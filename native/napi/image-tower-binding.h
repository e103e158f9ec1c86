#pragma once
#include <napi.h>

#include <atomic>
#include <memory>

#include "xmr/image_tower.h"

namespace xmr::napi {

// An image tower as its JavaScript object holds it: shared with a trainer that trains it.
struct SharedImageTower {
  std::shared_ptr<ImageTower> tower;
  std::shared_ptr<std::atomic<bool>> busy = std::make_shared<std::atomic<bool>>(false);
};

void RegisterImageTower(Napi::Env env, Napi::Object exports);

// The tower of an ImageTower object, or a TypeError naming the argument.
SharedImageTower image_tower_arg(const Napi::Value& v, const char* name);

}  // namespace xmr::napi
