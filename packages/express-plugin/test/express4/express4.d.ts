/** `express4` is an npm alias of Express 4; its API (as these tests use it) is typed like Express's. */
declare module 'express4' {
  import express from 'express';
  export default express;
}
