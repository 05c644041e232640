#!/usr/bin/env node
// `npm run plan`: brings dist/ up to date (nothing to do on an unchanged checkout), then runs the
// compiled planner in this same process, so a plan costs one node start-up, not two.
"use strict";
// The npm script starts node with a fixed 64 MB young generation (--min/--max-semi-space-size):
// the engine's run allocates heavily, and with the default one scavenges were a sixth of a plan's
// time. V8 sizes the young generation when it starts, so the flags cannot be set from here.
require("./build.js").build();
require("../dist/planner/cli.js").runAsProcess();
