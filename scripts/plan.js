#!/usr/bin/env node
// `npm run plan`: brings dist/ up to date (nothing to do on an unchanged checkout), then runs the
// compiled planner in this same process, so a plan costs one node start-up, not two.
"use strict";
// A larger young generation before anything allocates: the engine's run allocates heavily, and
// scavenges were a sixth of a plan's CPU with the default.
require("v8").setFlagsFromString("--max-semi-space-size=64");
require("./build.js").build();
require("../dist/planner/cli.js").runAsProcess();
