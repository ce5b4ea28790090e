import './style.css';
import { App } from './app.js';

const app = new App();
(window as unknown as { heaplab: App }).heaplab = app;
