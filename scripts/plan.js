#!/usr/bin/env node
// `npm run plan`: brings dist/ up to date (nothing to do on an unchanged checkout), then runs the
// compiled planner in this same process, so a plan costs one node start-up, not two.
"use strict";
require("./build.js").build();
require("../dist/planner/cli.js").runAsProcess();
