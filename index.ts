import { loadStackConfig } from "./config/load";
import { createPlatform } from "./platform";

// Config is read and validated before any resource is declared: bad input stops the preview here.
export = createPlatform(loadStackConfig()).then((platform) => platform.outputs);
