/**
 * The socket layer (`npm run test:sockets`): load, floods, storms and drain against real echo-server processes on
 * loopback (thousands of connections, RSS measured from /proc). Seconds of real traffic each, so kept out of `npm test`.
 */
const unit = require("./jest.config");

module.exports = {
  ...unit,
  testMatch: ["<rootDir>/test/**/*.sockets.ts"],
};
