import { render } from 'preact';
import { Shell } from './shell';
import './style.css';

const root = document.getElementById('app');
if (root) render(<Shell />, root);
