import { accessPathFromEnvironment } from "./config/access";
import { loadStackConfig, loadStackSecrets } from "./config/load";
import { createPlatform } from "./platform";

// Config is read and validated before any resource is declared: bad input stops the preview here.
// How this machine reaches the API server is the environment's business, not the stack's.
export = createPlatform(loadStackConfig(), accessPathFromEnvironment(process.env), loadStackSecrets()).then((platform) => platform.outputs);
